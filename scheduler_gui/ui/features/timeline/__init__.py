"""The Timeline tab: a painted chart of the course's dates beside the grid."""
