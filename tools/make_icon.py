"""Draw the program's icon with QPainter and write resources/icons/app.png, app-<size>.png and app.ico.

The icon is drawn here rather than taken from anywhere: a form sheet (table rows) on a blue tile with a red
seal carrying a check mark — "a checked, stamped form".  Small sizes are drawn separately with fewer, thicker
strokes so they stay legible at 16 px instead of being a scaled-down blur.

Run:  python tools/make_icon.py        (writes into resources/icons/; commit the output)
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)  # what Windows asks for at 100–250 % scaling
PNG_SIZES = (16, 32, 48, 256)

BLUE_TOP, BLUE_BOTTOM = QColor("#2D6FC0"), QColor("#17467F")
PAPER, RULE, HEADER = QColor("#FFFFFF"), QColor("#9DB4D3"), QColor("#C9D8EC")
SEAL, SEAL_DARK = QColor("#D7372B"), QColor("#A8241B")


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # draw on a 256 grid whatever the size
    small = size <= 24

    # Blue tile
    grad = QLinearGradient(0, 0, 0, 256)
    grad.setColorAt(0, BLUE_TOP)
    grad.setColorAt(1, BLUE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(grad)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)

    # The form sheet, with a folded top-right corner
    sheet = QPainterPath()
    sheet.moveTo(52, 30)
    sheet.lineTo(168, 30)
    sheet.lineTo(204, 66)
    sheet.lineTo(204, 226)
    sheet.lineTo(52, 226)
    sheet.closeSubpath()
    p.setBrush(PAPER)
    p.drawPath(sheet)
    fold = QPainterPath()
    fold.moveTo(168, 30)
    fold.lineTo(168, 66)
    fold.lineTo(204, 66)
    fold.closeSubpath()
    p.setBrush(HEADER)
    p.drawPath(fold)

    # Table: a header bar and ruled rows; fewer and heavier at small sizes
    p.setBrush(HEADER)
    p.drawRect(QRectF(70, 54, 84, 22 if small else 16))
    rows = (112, 150) if small else (96, 120, 144, 168)
    p.setPen(QPen(RULE, 14 if small else 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    for y in rows:
        p.drawLine(QPointF(70, y), QPointF(186, y))
    if not small:  # a column rule, as on the paper form
        p.setPen(QPen(RULE, 5))
        p.drawLine(QPointF(120, 88), QPointF(120, 176))

    # Red seal with a white check mark
    centre, radius = QPointF(178, 184), 52 if small else 46
    p.setPen(QPen(SEAL_DARK, 6))
    p.setBrush(SEAL)
    p.drawEllipse(centre, radius, radius)
    if not small:
        p.setPen(QPen(QColor(255, 255, 255, 150), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, radius - 9, radius - 9)
    tick = QPainterPath()
    tick.moveTo(centre + QPointF(-24, 2))
    tick.lineTo(centre + QPointF(-6, 20))
    tick.lineTo(centre + QPointF(26, -18))
    p.setPen(
        QPen(
            QColor("#FFFFFF"),
            18 if small else 12,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buf.close()
    return bytes(ba.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO container holding PNG-compressed entries (read by Windows Vista and later, and by PyInstaller).

    Qt's own ICO writer stores a single image, so the multi-size container is assembled here.
    """
    count = len(images)
    header = struct.pack("<HHH", 0, 1, count)
    offset = 6 + 16 * count
    entries, blobs = [], []
    for size, data in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def main(out_dir: Path = OUT) -> list[Path]:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (QImage text/AA needs it)
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = {s: png_bytes(draw(s)) for s in sorted(set(ICO_SIZES) | set(PNG_SIZES))}
    written = []
    for s in PNG_SIZES:
        path = out_dir / ("app.png" if s == 256 else f"app-{s}.png")
        path.write_bytes(rendered[s])
        written.append(path)
    ico = out_dir / "app.ico"
    ico.write_bytes(ico_bytes({s: rendered[s] for s in ICO_SIZES}))
    written.append(ico)
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
