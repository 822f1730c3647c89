import sys

from posture.cli.main import main

if __name__ == "__main__":  # not when a worker process of ``analyze --jobs`` imports it
    sys.exit(main())
