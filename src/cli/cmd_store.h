/* cmd_store.h: the event-store commands of the dyad tool (cmd_store.c). */
#ifndef DYAD_CMD_STORE_H
#define DYAD_CMD_STORE_H

/* Each takes the command's arguments (argv[0] is the command name) and
 * returns the exit status. */
int cmd_ingest(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_search(int argc, char **argv);

#endif
