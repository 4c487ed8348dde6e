// Package batch runs incidex over many inputs: it walks the inputs named
// on the command line (URLs, files, folders, glob patterns, URL lists,
// JSON Lines streams and web archives) one at a time (Walker), reads each
// into a page (Loader), keeps downloads polite per host (HostLimiter),
// processes inputs with a pool of workers inside a bounded window and
// delivers one outcome per input in input order (Run), and finds what an
// earlier run recorded (OpenResume).
//
// It must not know of terminals, flags or output formats (packages cli and
// main; it reads only the "input" field of the JSON Lines records that
// --resume finds) nor of what processing an input means: the caller's
// Process function reads the article or its incidents.
package batch
