"""Pictures: experiment plots (PNG and SVG) and section views of meshes and fields."""
