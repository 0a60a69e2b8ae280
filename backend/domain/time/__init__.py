"""Time reporting rules: codes, the week's schedule, validation, unsocial hours, sick spells, vacation days."""
