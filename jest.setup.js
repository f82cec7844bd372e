// Tests against real HTTP servers (spawned sandbox, browsers) need more than jest's 5 s default.
jest.setTimeout(30000);
