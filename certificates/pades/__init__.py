"""PAdES signatures on certificate PDFs (decision 0067): who signs, how, and how a file is checked."""
