"""Facts of a coordination program extracted from an article's clean text, each with the sentence
it was read from."""
