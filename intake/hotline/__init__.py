"""The operators' side: the call screen, caller numbers, call-log import, call-backs,
read-back spelling, and `flask hotline`."""
