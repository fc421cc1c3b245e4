"""How calls reach the gateway: one module per transport."""
