"""minwon: shared core of the Korean public call-centre self-service bot."""
