"""Use-cases. The only layer that knows the order of the request pipeline."""
