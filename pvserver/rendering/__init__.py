"""Rendering on the data server: every rank draws its piece, sort-last compositing merges them, rank 0 encodes.

It sees the pipeline only through :class:`~pvserver.rendering.pipeline_access.PipelineAccess` (updates, output
types, whole extents, the view states, the communicator) and imports nothing that runs the pipeline.

- views: a view on every rank (actors, camera, one frame); appearance: colour maps and actor properties;
  geometry: what a rank draws of its piece; bounds: boxes of what a view shows, reduced in one collective;
  annotations: rank 0's scalar bars and orientation axes; axes: rank 0's axes grids; antialiasing: rank 0's
  FXAA over the composite; ordering: the ranks' visibility order; imaging: PNG/JPEG encoding and decoding
  (png: its numpy + zlib PNG).
- compositing (the API), radixk (the exchange among ranks), blending (depth and "over"), pixels (rectangles,
  buffers, statistics): sort-last image compositing over MPI.
"""
