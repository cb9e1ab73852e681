"""Phone-support call role-play: the program plays the customer, the trainee handles the call."""
