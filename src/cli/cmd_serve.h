/* cmd_serve.h: `dyad serve`, the HTTP API and web page over an event store
 * (cmd_serve.c, docs/serve.md). */
#ifndef DYAD_CMD_SERVE_H
#define DYAD_CMD_SERVE_H

int cmd_serve(int argc, char **argv);

#endif
