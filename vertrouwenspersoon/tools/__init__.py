# Code without the ORM (DESIGN.md section 3).
