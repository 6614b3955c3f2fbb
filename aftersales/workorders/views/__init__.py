"""Pages of the service loop: dispatch board, vouchers and the workshop, the technician's phone, PDFs."""
