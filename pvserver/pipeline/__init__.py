"""Server-side pipeline: the proxy catalogue and the VTK objects behind proxies on each rank."""
