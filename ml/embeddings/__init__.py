"""Image embeddings stored on graph nodes, and the "looks like this one" search over them."""
