"""One of the two programs of the save race (tests/test_save_race.py): `python race_saver.py FORM NAME COUNT`.

Each save adds a token to what it read and saves with the changed-on-disk check, as the window does; a refused
save reads the file again and tries once more.  Prints the tokens whose saves were acknowledged."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selfeval_gui.files.atomic import content_digest  # noqa: E402
from selfeval_gui.files.formfile import FormChangedError, loads, save_form  # noqa: E402


def main(path: Path, name: str, count: int) -> None:
    acked = []
    raw = path.read_bytes()
    digest, form = content_digest(raw), loads(raw.decode("utf-8-sig"))
    i = 0
    while i < count:
        token = f"{name}{i}"
        form.fund_note = f"{form.fund_note} {token}".strip()
        try:
            digest = save_form(form, path, backup=False, expect=digest)
        except FormChangedError:
            raw = path.read_bytes()
            digest, form = content_digest(raw), loads(raw.decode("utf-8-sig"))
            continue
        acked.append(token)
        i += 1
    print(" ".join(acked))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
