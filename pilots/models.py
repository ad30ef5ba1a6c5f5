# Models of the pilots app live here.
