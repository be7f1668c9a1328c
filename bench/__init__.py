"""`make bench`: the warehouse's speed and memory against direct SQL, dbt and pandas."""
