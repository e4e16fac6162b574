CREATE TABLE "compliance_proofs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"circuit" text NOT NULL,
	"statement" jsonb NOT NULL,
	"public_signals" jsonb NOT NULL,
	"proof" jsonb NOT NULL,
	"proof_hash" text NOT NULL,
	"vkey_sha256" text NOT NULL,
	"submitted_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encrypted_queries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"key_id" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"params_hash" text NOT NULL,
	"request" "bytea" NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"result" "bytea",
	"result_meta" jsonb,
	"error_code" text,
	"error_message" text,
	"epsilon_micro" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "he_key_sets" (
	"key_id" text PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"scheme" text NOT NULL,
	"params_fingerprint" text NOT NULL,
	"bundle" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "compliance_rules" jsonb;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "min_group_size" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "compliance_proofs" ADD CONSTRAINT "compliance_proofs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_proofs" ADD CONSTRAINT "compliance_proofs_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_queries" ADD CONSTRAINT "encrypted_queries_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_queries" ADD CONSTRAINT "encrypted_queries_key_id_he_key_sets_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."he_key_sets"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "he_key_sets" ADD CONSTRAINT "he_key_sets_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_proofs_proof_hash_key" ON "compliance_proofs" USING btree ("proof_hash");--> statement-breakpoint
CREATE INDEX "compliance_proofs_version_idx" ON "compliance_proofs" USING btree ("version_id","circuit");--> statement-breakpoint
CREATE INDEX "encrypted_queries_queue_idx" ON "encrypted_queries" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "encrypted_queries_buyer_idx" ON "encrypted_queries" USING btree ("buyer_id","created_at");--> statement-breakpoint
CREATE INDEX "encrypted_queries_dataset_idx" ON "encrypted_queries" USING btree ("dataset_id","created_at");--> statement-breakpoint
CREATE INDEX "he_key_sets_participant_idx" ON "he_key_sets" USING btree ("participant_id");