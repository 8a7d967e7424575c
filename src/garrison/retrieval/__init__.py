"""Documents: extraction, chunking, embeddings, access-filtered hybrid search."""
