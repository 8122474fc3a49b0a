"""What the frozen bundle leaves out: unused Qt modules, plugins and translations.

Kept apart from pyinstaller.spec so the rules can be unit-tested.  Paths are compared as the destination
names PyInstaller gives them inside the bundle, with "/" separators, which works for the Linux layout
(PySide6/Qt/plugins/…, PySide6/Qt/translations/…) and the Windows one (PySide6/plugins/…, PySide6/translations/…).
"""

from __future__ import annotations

# Qt modules the program imports (ui/ and the icon tool).  Listed as hidden imports so the bundle has them
# even though the window is imported lazily.
USED_QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg")

# Everything else PySide6 ships (Essentials and Addons): never imported, so excluded from analysis; the
# hooks would otherwise pull in QML/Quick, WebEngine, 3D, Multimedia, Designer and their plugins.
UNUSED_QT_MODULES = (
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtAxContainer",
    "QtBluetooth",
    "QtCanvasPainter",
    "QtCharts",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDBus",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLabsStyleKit",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetwork",
    "QtNetworkAuth",
    "QtNfc",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPdf",
    "QtPdfWidgets",
    "QtPositioning",
    "QtQml",
    "QtQmlFeatures",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtSvgWidgets",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
)

# Python modules pulled in by dependencies but never used: test tools, Tk, network security (the program
# makes no connections; hashlib falls back to its built-in sha256/sha1/md5 without OpenSSL), and Pillow's
# AVIF/WebP/colour-management/Tk/Qt parts (reportlab needs Pillow itself, for raster images only).
UNUSED_PYTHON = (
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc_data",
    "pytest",
    "_pytest",
    "pytestqt",
    "pypdf",
    "jsonschema",
    "IPython",
    "numpy",
    "ssl",
    "_ssl",
    "_hashlib",
    "readline",
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    "PIL.ImageShow",
)

EXCLUDES = tuple(f"PySide6.{m}" for m in UNUSED_QT_MODULES) + UNUSED_PYTHON

# Qt's own translation kept: Chinese for Qt's built-in dialogs and buttons (确定/取消, file dialogs, print).
KEEP_TRANSLATIONS = frozenset({"qtbase_zh_CN.qm"})

# Plugin folders a desktop widgets program does not load: QML tooling, SQL drivers, network/TLS back-ends,
# Designer, Quick vector images, Linux embedded input, and Wayland compositor/GL buffer integrations (the
# Wayland shell and decoration plugins stay: without them the Linux build could not open a window there).
DROP_PLUGIN_DIRS = frozenset(
    {
        "qmltooling",
        "qmllint",
        "sqldrivers",
        "tls",
        "networkinformation",
        "designer",
        "position",
        "sensors",
        "multimedia",
        "webview",
        "texttospeech",
        "canbus",
        "scxmldatamodel",
        "renderers",
        "sceneparsers",
        "geometryloaders",
        "assetimporters",
        "egldeviceintegrations",
        "wayland-graphics-integration-server",
        "wayland-graphics-integration-client",
        "generic",
        "vectorimageformats",
    }
)

# Single plugins not needed, by folder and name (without "lib" prefix or extension): embedded-Linux and
# remote platforms, image formats the program never reads, and the GTK theme (GTK is not bundled, so it
# could not load anyway).
DROP_PLUGINS = frozenset(
    {
        ("platforms", "qlinuxfb"),
        ("platforms", "qvnc"),
        ("platforms", "qeglfs"),
        ("platforms", "qminimalegl"),
        ("platforms", "qvkkhrdisplay"),
        ("platforms", "qbsdfb"),
        ("platforms", "qdirectfb"),
        ("imageformats", "qtiff"),
        ("imageformats", "qwebp"),
        ("imageformats", "qicns"),
        ("imageformats", "qtga"),
        ("imageformats", "qwbmp"),
        ("imageformats", "qpdf"),
        ("platformthemes", "qgtk3"),
    }
)

# Single files not needed: the software OpenGL fallback (about 20 MB on Windows; widgets do not use GL),
# and the Direct3D shader compiler it pulls in.
DROP_FILES = frozenset({"opengl32sw.dll", "d3dcompiler_47.dll"})


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def _plugin_stem(name: str) -> str:
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep(dest: str) -> bool:
    """False for a bundle entry (its destination path) that the program never uses."""
    parts = _parts(dest)
    name = parts[-1]
    if name.lower() in DROP_FILES:
        return False
    if parts[0] != "PySide6":
        return True
    if "translations" in parts[:-1]:
        return name in KEEP_TRANSLATIONS
    if "qml" in parts[:-1]:  # QML modules (only Quick programs load them)
        return False
    if "plugins" in parts[:-1]:
        i = parts.index("plugins")
        sub = parts[i + 1] if i + 1 < len(parts) - 1 else ""
        return sub not in DROP_PLUGIN_DIRS and (sub, _plugin_stem(name)) not in DROP_PLUGINS
    return True


def _basename(name: str) -> str:
    return _parts(name)[-1].lower()


def trim(toc: list, imports_of=None) -> list:
    """A TOC (PyInstaller's list of (dest, source, kind) tuples) without what keep() rejects.

    With imports_of (source path → names of the libraries it links), also drops the libraries that only the
    rejected entries needed: the VNC platform plugin alone pulls in QtNetwork, the GTK theme a dozen GTK
    libraries.  A library also linked by anything kept stays.  If a kept binary cannot be analysed, nothing
    more is dropped (safe rather than small).
    """
    kept = [e for e in toc if keep(e[0])]
    if imports_of is None or len(kept) == len(toc):
        return kept
    rejected = [e for e in toc if not keep(e[0])]
    by_name: dict[str, list] = {}
    by_dest = {e[0]: e for e in kept}
    for e in kept:
        by_name.setdefault(_basename(e[0]), []).append(e)

    def links(e) -> list:
        if e[2] == "SYMLINK":  # PyInstaller 6: (link, target dest, "SYMLINK")
            return [by_dest[e[1]]] if e[1] in by_dest else []
        if e[2] not in ("BINARY", "EXTENSION"):
            return []
        deps = imports_of(e[1])
        if deps is None:
            raise LookupError(e[1])
        return [d for name in deps for d in by_name.get(_basename(name), ())]

    def closure(start) -> set:
        seen, stack = set(), list(start)
        while stack:
            e = stack.pop()
            if e[0] in seen:
                continue
            seen.add(e[0])
            stack.extend(links(e))
        return seen

    try:
        reached_by_rejected = closure(rejected) - {e[0] for e in rejected}
        roots = [e for e in kept if e[0] not in reached_by_rejected]
        needed = closure(roots)
    except LookupError:
        return kept
    orphans = reached_by_rejected - needed
    return [e for e in kept if e[0] not in orphans and not (e[2] == "SYMLINK" and e[1] in orphans)]


def dropped(toc: list, kept: list) -> list:
    names = {e[0] for e in kept}
    return [e for e in toc if e[0] not in names]
