"""The jobs domain's model: the shared kernel (vocabularies every module uses) and the board's entities."""
