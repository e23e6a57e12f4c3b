import sys

from magazyn_desktop.cli import main

sys.exit(main())
