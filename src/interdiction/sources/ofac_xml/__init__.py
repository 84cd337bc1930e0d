"""OFAC's XML formats: the advanced schema (SDN_ADVANCED) and the enhanced schema."""
