"""Personal data: detection (Presidio, spaCy, gazetteers, checksummed patterns), pseudonymisation
and the encrypted vault that reverses it."""
