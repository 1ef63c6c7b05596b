"""Demo organizations for `make run`: the sample registry (approved) and a few memberships of the demo units."""
