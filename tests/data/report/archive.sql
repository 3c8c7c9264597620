PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version','1');
INSERT INTO meta VALUES('created_by','j2w 0.1.0');
CREATE TABLE manifest(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  tool TEXT NOT NULL,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','interrupted')),
  rooms INTEGER, members INTEGER,
  messages_read INTEGER, messages_added INTEGER, messages_changed INTEGER,
  messages_rejected INTEGER, files_read INTEGER, files_added INTEGER,
  archive_messages INTEGER, archive_digest TEXT);
INSERT INTO manifest VALUES(1,'csv:samples/chat','j2w 0.1.0','2026-11-21T01:39:47.429Z','2026-11-21T01:39:47.449Z','complete',5,24,300,300,0,0,26,26,300,'30e93e3a2bded9a64477f18fef602515fe070b196bfdaf0cba873806c88640ce');
CREATE TABLE manifest_rooms(
  import_id INTEGER NOT NULL REFERENCES manifest(id),
  room_jid TEXT NOT NULL, messages INTEGER NOT NULL, digest TEXT NOT NULL,
  PRIMARY KEY (import_id, room_jid)) WITHOUT ROWID;
INSERT INTO manifest_rooms VALUES(1,'adhoc-7f3a9c1e@conference.example.com',50,'4d912ed1389a1ccc7d40e31aeaff78dac530239c2f02bff101cf39b732978ed9');
INSERT INTO manifest_rooms VALUES(1,'dev-team@conference.example.com',50,'269f951b7a470911af7b907744356a3aac324155efa82df0fdd7decc18358b59');
INSERT INTO manifest_rooms VALUES(1,'general@conference.example.com',65,'9f091f061d14ec185e2d006a0627c474be3b908370da2a03c683d0b0319b504d');
INSERT INTO manifest_rooms VALUES(1,'incident-2024@conference.example.com',61,'8479f616a44a74814c8c1fe0c8724fe22996ab442059d968bc87ad09711df76e');
INSERT INTO manifest_rooms VALUES(1,'sales-emea@conference.example.com',74,'3816954adfa77c22449e4f6121048a85230dfbd349d238a00031235bf8900a13');
CREATE TABLE rooms(
  room_jid TEXT PRIMARY KEY,
  name TEXT, creator_jid TEXT, subject TEXT, type TEXT, config TEXT, spacket TEXT,
  import_id INTEGER NOT NULL REFERENCES manifest(id));
INSERT INTO rooms VALUES('dev-team@conference.example.com','Development Team','alice@example.com','Sprint 42','persistent',NULL,NULL,1);
INSERT INTO rooms VALUES('sales-emea@conference.example.com','Sales EMEA — Ventes & Vertrieb','heidi@example.com',NULL,'persistent',NULL,NULL,1);
INSERT INTO rooms VALUES('incident-2024@conference.example.com','<Incident> & Response "war room"','bob@example.com','P1: login failures <see ticket>','persistent',NULL,NULL,1);
INSERT INTO rooms VALUES('adhoc-7f3a9c1e@conference.example.com',NULL,'carol@example.com',NULL,'ad-hoc',NULL,NULL,1);
INSERT INTO rooms VALUES('general@conference.example.com','General 📣','alice@example.com',NULL,'persistent',NULL,NULL,1);
CREATE TABLE members(
  room_jid TEXT NOT NULL, real_jid TEXT NOT NULL,
  role TEXT, affiliation TEXT, nick_jid TEXT,
  import_id INTEGER NOT NULL REFERENCES manifest(id),
  PRIMARY KEY (room_jid, real_jid)) WITHOUT ROWID;
INSERT INTO members VALUES('adhoc-7f3a9c1e@conference.example.com','carol@example.com','moderator','owner','adhoc-7f3a9c1e@conference.example.com/Carol Díaz',1);
INSERT INTO members VALUES('adhoc-7f3a9c1e@conference.example.com','dave@example.com','none','admin','adhoc-7f3a9c1e@conference.example.com/Dave',1);
INSERT INTO members VALUES('dev-team@conference.example.com','alice@example.com','moderator','owner','dev-team@conference.example.com/Alice Ng',1);
INSERT INTO members VALUES('dev-team@conference.example.com','bob@example.com','none','admin','dev-team@conference.example.com/Bob Lee',1);
INSERT INTO members VALUES('dev-team@conference.example.com','carol@example.com','none','member','dev-team@conference.example.com/Carol Díaz',1);
INSERT INTO members VALUES('dev-team@conference.example.com','dave@example.com','none','member','dev-team@conference.example.com/Dave',1);
INSERT INTO members VALUES('dev-team@conference.example.com','zoe@example.com','none','member','dev-team@conference.example.com/Zoë',1);
INSERT INTO members VALUES('general@conference.example.com','alice@example.com','moderator','owner','general@conference.example.com/Alice Ng',1);
INSERT INTO members VALUES('general@conference.example.com','bob@example.com','none','admin','general@conference.example.com/Bob Lee',1);
INSERT INTO members VALUES('general@conference.example.com','carol@example.com','none','member','general@conference.example.com/Carol Díaz',1);
INSERT INTO members VALUES('general@conference.example.com','dave@example.com','none','member','general@conference.example.com/Dave',1);
INSERT INTO members VALUES('general@conference.example.com','erin@example.com','none','member','general@conference.example.com/Erin O''Neil',1);
INSERT INTO members VALUES('general@conference.example.com','frank@example.com','none','member','general@conference.example.com/Frank',1);
INSERT INTO members VALUES('general@conference.example.com','grace@example.com','none','member','general@conference.example.com/Grace 王',1);
INSERT INTO members VALUES('general@conference.example.com','heidi@example.com','none','member','general@conference.example.com/Heidi Müller',1);
INSERT INTO members VALUES('general@conference.example.com','ivan@example.com','none','member','general@conference.example.com/Иван',1);
INSERT INTO members VALUES('general@conference.example.com','zoe@example.com','none','member','general@conference.example.com/Zoë',1);
INSERT INTO members VALUES('incident-2024@conference.example.com','alice@example.com','none','admin','incident-2024@conference.example.com/Alice Ng',1);
INSERT INTO members VALUES('incident-2024@conference.example.com','bob@example.com','moderator','owner','incident-2024@conference.example.com/Bob Lee',1);
INSERT INTO members VALUES('incident-2024@conference.example.com','grace@example.com','none','member','incident-2024@conference.example.com/Grace 王',1);
INSERT INTO members VALUES('sales-emea@conference.example.com','erin@example.com','none','admin','sales-emea@conference.example.com/Erin O''Neil',1);
INSERT INTO members VALUES('sales-emea@conference.example.com','frank@example.com','none','member','sales-emea@conference.example.com/Frank',1);
INSERT INTO members VALUES('sales-emea@conference.example.com','heidi@example.com','moderator','owner','sales-emea@conference.example.com/Heidi Müller',1);
INSERT INTO members VALUES('sales-emea@conference.example.com','ivan@example.com','none','member','sales-emea@conference.example.com/Иван',1);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  room_jid TEXT NOT NULL,
  msg_id INTEGER,
  sent_utc TEXT NOT NULL,
  from_jid TEXT, nick TEXT, msg_type TEXT, subject TEXT,
  body TEXT, stanza TEXT,
  has_file INTEGER NOT NULL DEFAULT 0,
  digest TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES manifest(id));
CREATE TABLE files(
  aft_index INTEGER PRIMARY KEY,
  jid TEXT, to_jid TEXT, method TEXT, filename TEXT, real_filename TEXT,
  file_server TEXT, file_path TEXT, bytes INTEGER, time_utc TEXT,
  message INTEGER REFERENCES messages(id),
  import_id INTEGER NOT NULL REFERENCES manifest(id));
INSERT INTO files VALUES(1,'bob@example.com','dev-team@conference.example.com','POST','3a596ce4add5d3c5','design review.pdf','mft.example.com','/mft/3a596ce4add5d3c5',1017,'2024-03-01T21:16:21.361Z',18,1);
INSERT INTO files VALUES(2,'alice@example.com','dev-team@conference.example.com','GET','3a596ce4add5d3c5','design review.pdf','mft.example.com','/mft/3a596ce4add5d3c5',1017,'2024-03-01T21:21:22.161Z',NULL,1);
INSERT INTO files VALUES(3,'ivan@example.com','sales-emea@conference.example.com','POST','d50ba68cdf1feeb1','Q3 forecast (final).xlsx','mft.example.com','/mft/d50ba68cdf1feeb1',1040,'2024-03-02T10:50:38.593Z',41,1);
INSERT INTO files VALUES(4,'heidi@example.com','sales-emea@conference.example.com','GET','d50ba68cdf1feeb1','Q3 forecast (final).xlsx','mft.example.com','/mft/d50ba68cdf1feeb1',1040,'2024-03-02T10:55:39.393Z',NULL,1);
INSERT INTO files VALUES(5,'zoe@example.com','general@conference.example.com','POST','931c6960014f79b3','photo_ünïcode.jpg','mft.example.com','/mft/931c6960014f79b3',1063,'2024-03-02T22:12:33.415Z',64,1);
INSERT INTO files VALUES(6,'alice@example.com','general@conference.example.com','GET','931c6960014f79b3','photo_ünïcode.jpg','mft.example.com','/mft/931c6960014f79b3',1063,'2024-03-02T22:17:34.215Z',NULL,1);
INSERT INTO files VALUES(7,'bob@example.com','incident-2024@conference.example.com','POST','963a92f6b33a9dcb','<evil>.txt','mft.example.com','/mft/963a92f6b33a9dcb',1086,'2024-03-03T11:18:00.015Z',87,1);
INSERT INTO files VALUES(8,'bob@example.com','incident-2024@conference.example.com','GET','963a92f6b33a9dcb','<evil>.txt','mft.example.com','/mft/963a92f6b33a9dcb',1086,'2024-03-03T11:23:00.815Z',NULL,1);
INSERT INTO files VALUES(9,'dave@example.com','adhoc-7f3a9c1e@conference.example.com','POST','c45b5d922e0c25b0','design review.pdf','mft.example.com','/mft/c45b5d922e0c25b0',1109,'2024-03-03T20:48:27.379Z',110,1);
INSERT INTO files VALUES(10,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','GET','c45b5d922e0c25b0','design review.pdf','mft.example.com','/mft/c45b5d922e0c25b0',1109,'2024-03-03T20:53:28.179Z',NULL,1);
INSERT INTO files VALUES(11,'ivan@example.com','sales-emea@conference.example.com','POST','d4148d60ea9d51f7','Q3 forecast (final).xlsx','mft.example.com','/mft/d4148d60ea9d51f7',1132,'2024-03-04T09:32:29.865Z',133,1);
INSERT INTO files VALUES(12,'heidi@example.com','sales-emea@conference.example.com','GET','d4148d60ea9d51f7','Q3 forecast (final).xlsx','mft.example.com','/mft/d4148d60ea9d51f7',1132,'2024-03-04T09:37:30.665Z',NULL,1);
INSERT INTO files VALUES(13,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','POST','35e0b3638619d453','photo_ünïcode.jpg','mft.example.com','/mft/35e0b3638619d453',1155,'2024-03-04T23:40:15.495Z',156,1);
INSERT INTO files VALUES(14,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','GET','35e0b3638619d453','photo_ünïcode.jpg','mft.example.com','/mft/35e0b3638619d453',1155,'2024-03-04T23:45:16.295Z',NULL,1);
INSERT INTO files VALUES(15,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','POST','98ec4fe5dc04bf9b','<evil>.txt','mft.example.com','/mft/98ec4fe5dc04bf9b',1178,'2024-03-05T13:06:57.991Z',179,1);
INSERT INTO files VALUES(16,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','GET','98ec4fe5dc04bf9b','<evil>.txt','mft.example.com','/mft/98ec4fe5dc04bf9b',1178,'2024-03-05T13:11:58.791Z',NULL,1);
INSERT INTO files VALUES(17,'frank@example.com','sales-emea@conference.example.com','POST','b6231d4e5becb730','design review.pdf','mft.example.com','/mft/b6231d4e5becb730',1201,'2024-03-06T00:31:57.492Z',202,1);
INSERT INTO files VALUES(18,'heidi@example.com','sales-emea@conference.example.com','GET','b6231d4e5becb730','design review.pdf','mft.example.com','/mft/b6231d4e5becb730',1201,'2024-03-06T00:36:58.292Z',NULL,1);
INSERT INTO files VALUES(19,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','POST','af783b2f127c28ea','Q3 forecast (final).xlsx','mft.example.com','/mft/af783b2f127c28ea',1224,'2024-03-06T12:01:03.686Z',225,1);
INSERT INTO files VALUES(20,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','GET','af783b2f127c28ea','Q3 forecast (final).xlsx','mft.example.com','/mft/af783b2f127c28ea',1224,'2024-03-06T12:06:04.486Z',NULL,1);
INSERT INTO files VALUES(21,'bob@example.com','dev-team@conference.example.com','POST','bb73b2d1bcfa7ce5','photo_ünïcode.jpg','mft.example.com','/mft/bb73b2d1bcfa7ce5',1247,'2024-03-07T01:20:20.257Z',248,1);
INSERT INTO files VALUES(22,'alice@example.com','dev-team@conference.example.com','GET','bb73b2d1bcfa7ce5','photo_ünïcode.jpg','mft.example.com','/mft/bb73b2d1bcfa7ce5',1247,'2024-03-07T01:25:21.057Z',NULL,1);
INSERT INTO files VALUES(23,'carol@example.com','general@conference.example.com','POST','4a0c8b546b521400','<evil>.txt','mft.example.com','/mft/4a0c8b546b521400',1270,'2024-03-07T12:21:20.208Z',271,1);
INSERT INTO files VALUES(24,'alice@example.com','general@conference.example.com','GET','4a0c8b546b521400','<evil>.txt','mft.example.com','/mft/4a0c8b546b521400',1270,'2024-03-07T12:26:21.008Z',NULL,1);
INSERT INTO files VALUES(25,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','POST','75456b9ac6a4169c','design review.pdf','mft.example.com','/mft/75456b9ac6a4169c',1293,'2024-03-08T03:43:13.631Z',294,1);
INSERT INTO files VALUES(26,'carol@example.com','adhoc-7f3a9c1e@conference.example.com','GET','75456b9ac6a4169c','design review.pdf','mft.example.com','/mft/75456b9ac6a4169c',1293,'2024-03-08T03:48:14.431Z',NULL,1);
CREATE UNIQUE INDEX messages_key ON messages(room_jid, msg_id) WHERE msg_id IS NOT NULL;
CREATE UNIQUE INDEX messages_nokey ON messages(room_jid, digest) WHERE msg_id IS NULL;
CREATE INDEX messages_with_file ON messages(room_jid, sent_utc) WHERE has_file;
CREATE INDEX files_message ON files(message) WHERE message IS NOT NULL;
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(1,'dev-team@conference.example.com',1,'2024-03-01T08:52:11.855Z','carol@example.com',0,'2619db0a902a978948add4b9dcd3fc29a492c37297a5186425a387b88ccfc215',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(30,'general@conference.example.com',8,'2024-03-02T03:33:06.337Z','bob@example.com',0,'f3e4ac5c3319f0e887ea3a4cd9c77a3dc621872f2c5007d13f46baeccabf60d0',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(60,'general@conference.example.com',15,'2024-03-02T19:19:43.335Z','erin@example.com',0,'8a45ee5055fcecae80ce89d52fcca38321cda1d184ccbbedf32aa674c2e2d97b',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(90,'adhoc-7f3a9c1e@conference.example.com',15,'2024-03-03T11:49:53.828Z','dave@example.com',0,'d163ec04e603f7eb616b3ea6208fb74608a2adf4b7f97adeac3ec8776cf9373b',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(120,'incident-2024@conference.example.com',24,'2024-03-04T01:28:08.352Z','grace@example.com',0,'2530c59a716556ce66b6b7715f8c72a7da6a5f7437ab9d7c5f3380d20045ad83',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(150,'incident-2024@conference.example.com',30,'2024-03-04T19:30:11.115Z','grace@example.com',0,'f3e157eb02664da8362379683dfa17a8d6d500290a1f3207a1e9ba17f740de99',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(180,'sales-emea@conference.example.com',48,'2024-03-05T13:52:17.821Z','frank@example.com',0,'28244ac62c63b63571f238d9f95f7a5b56c4dd1c7f7db47cb2c826280f2f5e90',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(210,'adhoc-7f3a9c1e@conference.example.com',35,'2024-03-06T04:12:00.693Z','carol@example.com',0,'13861f55f094238d08142e437d2e2b6846bde06b5180f00dd16db7c5a5ef31bb',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(240,'incident-2024@conference.example.com',47,'2024-03-06T21:12:14.303Z','bob@example.com',0,'a6eec5e30ae8efb1636e9b5ff1474bf458235528acd55417bbed43cd14646425',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(270,'general@conference.example.com',58,'2024-03-07T11:32:59.542Z','grace@example.com',0,'4cfc899b054ec60b93fc82b9d8707ec2a08d7a7a9aef8e447383284e427bfbfd',1);
INSERT INTO messages(id,room_jid,msg_id,sent_utc,from_jid,has_file,digest,import_id) VALUES(300,'incident-2024@conference.example.com',61,'2024-03-08T06:21:12.283Z','grace@example.com',0,'a82ed9bc7a24b6dc51598da3248e7822351e24bce46e59117969a0e7f1be96d2',1);
COMMIT;
