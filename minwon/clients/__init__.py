"""One client per connection to our own services, and one retry policy for all of them."""
