# Models of the elections app live here.
