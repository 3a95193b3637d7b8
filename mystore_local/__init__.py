"""What Knative does on the cluster, done on one machine: a process per function (runner)."""
