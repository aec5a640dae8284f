"""Appeals: a reporter asks for a decided case to be decided again; another moderator
upholds or reverses it."""
