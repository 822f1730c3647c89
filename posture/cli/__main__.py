import sys

from posture.cli.main import main

sys.exit(main())
