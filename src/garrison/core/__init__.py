"""Value types, errors, clock and ids. Imports nothing from garrison and does no I/O."""
