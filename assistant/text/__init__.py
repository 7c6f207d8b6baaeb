"""Text primitives shared by every stage: folding and tone-mark forms, the matching form of words
(abbreviations spelt out), sentence splitting, the vocabularies of Vietnamese public life, and text
made safe to echo and export (no control or bidi override characters)."""
