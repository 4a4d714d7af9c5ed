"""Content of the sample sites `warta demo` serves (fictional schools, written for warta)."""
