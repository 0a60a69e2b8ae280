"""``python -m ocr interpret FILE... --jsonl``: see ``ocr.cli``."""

import sys

from ocr.cli import main

if __name__ == "__main__":
    sys.exit(main())
