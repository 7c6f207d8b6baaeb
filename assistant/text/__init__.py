"""Text primitives shared by every stage: folding and tone-mark forms, the matching form of words
(abbreviations spelt out), sentence splitting and the vocabularies of Vietnamese public life."""
