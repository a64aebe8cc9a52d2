// Placeholder: filled in by the Sinkhorn work.
