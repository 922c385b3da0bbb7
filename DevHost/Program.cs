// Placeholder entry point; the dev host itself lands with issue 3.
return 0;
