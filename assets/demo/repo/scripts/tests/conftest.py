import sys
from pathlib import Path

# The scripts are plain modules next to this folder, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
