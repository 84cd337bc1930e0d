"""OFAC legacy CSV lists."""
