import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { LearnerApp } from "./learning/learner-app.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>{window.location.pathname.startsWith("/learn/") ? <LearnerApp /> : <App />}</StrictMode>,
);
