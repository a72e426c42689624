"""What every bounded context shares and none owns: the errors a refused action raises."""
