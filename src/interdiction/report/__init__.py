"""Reports and briefings."""
