#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded offline.
# `prisma generate` never calls it; anything that does (migrate dev/diff) fails clearly.
echo "prisma schema engine is not available on this machine: use npm run db:migrate (README, Adding a migration)" >&2
exit 1
