"""The live mirror: the browser-fed session (``mirror``), capture, personal range and range test."""
