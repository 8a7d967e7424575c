"""Model provenance: the pinned embedded default, file hashing, GGUF metadata, provisioning."""
