"""Large synthetic datasets for measuring the system at the size users reach after decades of records."""
