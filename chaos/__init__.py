"""The chaos run: the platform with several replicas of each service behind a load balancer, under
bookings, event changes and live sockets, while replicas are killed and the broker and PostgreSQL
are cut; then checks that nothing was oversold, charged twice, lost or told twice."""
