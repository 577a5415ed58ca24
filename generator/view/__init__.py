"""Views: what a document reads of the dataset, recorded, and the values its templates word."""
